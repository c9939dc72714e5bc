#!/usr/bin/env sh
# Regenerates the simulator's committed media with ffmpeg. Run once by hand; the output is committed, so neither
# the simulator nor its tests need ffmpeg.
#   video.mp4        4 s 320x180 test pattern, H.264 + silent AAC, moov first (+faststart), < 100 KB
#   thumbnail.webp   one frame (upstream serves thumbnails as WebP)
#   spritesheet.jpg  8 frames tiled 4x2 at 160x90 (upstream serves spritesheets as JPEG)
set -eu
cd "$(dirname "$0")/../assets"
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "testsrc2=size=320x180:rate=24:duration=4" \
  -f lavfi -i "anullsrc=channel_layout=mono:sample_rate=44100" \
  -c:v libx264 -profile:v main -pix_fmt yuv420p -crf 32 -preset veryslow \
  -c:a aac -b:a 24k -movflags +faststart -map_metadata -1 \
  -fflags +bitexact -flags:v +bitexact -flags:a +bitexact -t 4 video.mp4
ffmpeg -hide_banner -loglevel error -y -ss 2 -i video.mp4 -frames:v 1 -c:v libwebp -quality 75 -map_metadata -1 thumbnail.webp
ffmpeg -hide_banner -loglevel error -y -i video.mp4 -vf "fps=2,scale=160:90,tile=4x2" -frames:v 1 -q:v 5 \
  -fflags +bitexact -flags:v +bitexact spritesheet.jpg
ls -l video.mp4 thumbnail.webp spritesheet.jpg

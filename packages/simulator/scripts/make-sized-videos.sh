#!/usr/bin/env sh
# Regenerates the per-size, per-duration test patterns the simulator serves, so what a job asked for (size and
# seconds) is what its video is. Run once by hand; the output is committed. ~8-15 KB each: SMPTE bars (static, so
# nearly free to encode) with the size, the duration and a running clock burnt in, 4 fps, H.264 + silent AAC, moov
# first. No system ffmpeg? The npm package @ffmpeg-installer/linux-x64 ships a static binary inside its tarball:
#   (cd /tmp && npm pack @ffmpeg-installer/linux-x64 && tar xzf ffmpeg-installer-linux-x64-*.tgz)
#   FFMPEG=/tmp/package/ffmpeg sh packages/simulator/scripts/make-sized-videos.sh
set -eu
FFMPEG="${FFMPEG:-ffmpeg}"
FONT="${FONT:-/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf}"
mkdir -p "$(dirname "$0")/../assets/videos"
cd "$(dirname "$0")/../assets/videos"
for size in 720x1280 1280x720 1024x1792 1792x1024; do
  for seconds in 4 8 12; do
    "$FFMPEG" -hide_banner -loglevel error -y \
      -f lavfi -i "smptebars=size=${size}:rate=4:duration=${seconds}" \
      -f lavfi -i "anullsrc=channel_layout=mono:sample_rate=22050" \
      -vf "drawtext=fontfile=${FONT}:text='${size} · ${seconds} s · %{eif\:t\:d} s':fontsize=w/20:fontcolor=white:box=1:boxcolor=black:x=(w-text_w)/2:y=(h-text_h)/2" \
      -c:v libx264 -profile:v main -pix_fmt yuv420p -crf 40 -preset veryslow -g 400 \
      -c:a aac -b:a 8k -movflags +faststart -map_metadata -1 \
      -fflags +bitexact -flags:v +bitexact -flags:a +bitexact -t "$seconds" "${size}-${seconds}s.mp4"
  done
done
ls -l

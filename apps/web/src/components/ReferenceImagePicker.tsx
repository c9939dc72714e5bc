import { checkReferenceImage, isAppError, REFERENCE_IMAGE_MAX_BYTES } from '@sora-monitor/core/domain';
import { useEffect, useId, useMemo, useState } from 'react';
import { FieldError } from './FieldError';

/** A picked image: its bytes (checked against the size in use) and base64 for videos.create. */
export interface PickedImage {
  bytes: Uint8Array;
  base64: string;
  name: string;
}

/** The same checks the server makes (type by magic bytes, file size, exact dimensions), so mistakes show at once. */
export function imageProblem(image: PickedImage | null, size: string): string | null {
  if (!image) return null;
  try {
    checkReferenceImage(image.bytes, size);
    return null;
  } catch (error) {
    return isAppError(error) ? error.message : 'The image cannot be read.';
  }
}

async function readPicked(file: File): Promise<PickedImage> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { bytes, base64: btoa(binary), name: file.name };
}

/**
 * The optional first frame of a new video (image-to-video): a JPEG, PNG or WebP of exactly the chosen size. Shows a
 * preview and the problem with the file, if any, next to the field.
 */
export function ReferenceImagePicker({
  image,
  size,
  serverErrors,
  onChange,
}: {
  image: PickedImage | null;
  size: string;
  serverErrors: string[] | undefined;
  onChange: (image: PickedImage | null) => void;
}) {
  const id = useId();
  const [readError, setReadError] = useState<string | null>(null);
  const preview = useMemo(() => (image ? URL.createObjectURL(new Blob([image.bytes as BlobPart])) : null), [image]);
  useEffect(() => () => (preview ? URL.revokeObjectURL(preview) : undefined), [preview]);
  const problem = imageProblem(image, size);
  const messages = readError ? [readError] : problem ? [problem] : serverErrors;

  const pick = async (file: File | undefined) => {
    setReadError(null);
    if (!file) return onChange(null);
    // Not read at all when it is too large: the check would refuse it anyway.
    if (file.size > REFERENCE_IMAGE_MAX_BYTES) {
      onChange(null);
      return setReadError(`The image is ${(file.size / 1024 / 1024).toFixed(1)} MB; the limit is ${REFERENCE_IMAGE_MAX_BYTES / 1024 / 1024} MB.`);
    }
    onChange(await readPicked(file));
  };

  return (
    <div className="field">
      <label htmlFor={id}>
        Reference image <span className="muted">(optional)</span>
      </label>
      <input
        id={id}
        name="image"
        type="file"
        accept="image/jpeg,image/png,image/webp"
        onChange={(event) => void pick(event.target.files?.[0])}
        aria-invalid={messages?.length ? true : undefined}
        aria-describedby={`${id}-hint ${id}-error`}
      />
      <p id={`${id}-hint`} className="hint">
        The video starts from this picture: a JPEG, PNG or WebP of exactly {size.replace('x', ' × ')} pixels, at most{' '}
        {REFERENCE_IMAGE_MAX_BYTES / 1024 / 1024} MB.
      </p>
      {preview && !problem ? <img className="reference-preview" src={preview} alt={`Reference image ${image?.name ?? ''}`} /> : null}
      <FieldError id={`${id}-error`} messages={messages} />
    </div>
  );
}

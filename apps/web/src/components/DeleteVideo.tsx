import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useLocation } from 'wouter';
import { errorMessage } from '../lib/errors';
import { invalidateVideoList } from '../lib/video-list';
import { trpc } from '../trpc';
import { ConfirmDialog } from './ConfirmDialog';

/** Deleting is refused while a generation runs (reset it first), so the button explains that instead. */
export function DeleteVideo({ videoId, active }: { videoId: string; active: boolean }) {
  const [open, setOpen] = useState(false);
  const [, navigate] = useLocation();
  const queryClient = useQueryClient();
  const remove = trpc.videos.delete.useMutation({
    onSuccess: async () => {
      setOpen(false);
      await invalidateVideoList(queryClient);
      navigate('/');
    },
    onError: () => setOpen(false),
  });
  return (
    <section className="danger-zone" aria-labelledby="delete-title">
      <h2 id="delete-title" className="visually-hidden">
        Delete
      </h2>
      <button type="button" className="button button-quiet-danger" disabled={active || remove.isPending} onClick={() => setOpen(true)}>
        Delete video
      </button>
      {active ? <span className="muted small"> A video cannot be deleted while it is generating.</span> : null}
      {remove.isError ? (
        <p className="callout callout-error" role="alert">
          {errorMessage(remove.error)}
        </p>
      ) : null}
      <ConfirmDialog
        open={open}
        title="Delete this video?"
        confirmLabel="Delete video"
        busy={remove.isPending}
        onCancel={() => setOpen(false)}
        onConfirm={() => remove.mutate({ videoId })}
      >
        <p>The video, its file and its history are removed for good.</p>
      </ConfirmDialog>
    </section>
  );
}

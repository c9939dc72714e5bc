import { useState } from 'react';
import { turnNotificationsOff, turnNotificationsOn, useNotifySetting } from '../lib/finish-notifications';

/** "Notify me when videos finish": asks the browser for permission only when clicked, and can be turned off again. */
export function NotifyToggle() {
  const setting = useNotifySetting();
  const [asking, setAsking] = useState(false);
  if (setting === 'unsupported') return null;
  if (setting === 'blocked') {
    return (
      <p className="muted small notify-toggle" data-testid="notify-toggle">
        Notifications are blocked for this site in your browser’s settings.
      </p>
    );
  }
  if (setting === 'on') {
    return (
      <p className="small notify-toggle" data-testid="notify-toggle">
        <span role="status">You will be notified when a video finishes while this tab is in the background.</span>{' '}
        <button type="button" className="button button-small" onClick={turnNotificationsOff}>
          Turn off notifications
        </button>
      </p>
    );
  }
  return (
    <p className="small notify-toggle" data-testid="notify-toggle">
      <button
        type="button"
        className="button button-small"
        disabled={asking}
        onClick={() => {
          setAsking(true);
          void turnNotificationsOn().finally(() => setAsking(false));
        }}
      >
        Notify me when videos finish
      </button>
    </p>
  );
}

/** A validation message under its field; the field points at it with aria-describedby. */
export function FieldError({ id, messages }: { id: string; messages: string[] | undefined }) {
  if (!messages?.length) return <span id={id} hidden />;
  return (
    <p id={id} className="field-error" data-testid="field-error">
      {messages.map((message) => sentence(message)).join(' ')}
    </p>
  );
}

/** Server messages start lower-case ("prompt must not be empty"): show them as sentences. */
function sentence(message: string): string {
  const trimmed = message.trim();
  const capitalised = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

/** The process exit codes, documented in the README; scripts can rely on them. */
export const EXIT = {
  /** Done (for `watch`: the generation completed). */
  ok: 0,
  /** The generation failed (`watch`), the server refused the operation, or something unexpected happened. */
  failed: 1,
  /** Wrong usage: unknown command or option, a bad value, or input the server's validation rejected. */
  usage: 2,
  /** Not signed in, or the server rejected the token. */
  auth: 3,
  /** No video with that id (for this account). */
  notFound: 4,
  /** The server cannot be reached, or what answers at the URL is not Sora Monitor. */
  unreachable: 5,
  /** Interrupted (Ctrl-C). */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

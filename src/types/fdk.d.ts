declare module '@fnproject/fdk' {
  /** The parts of the FDK's invocation context this project reads. */
  export interface FnContext {
    readonly headers: Record<string, string[]>;
    readonly callID: string | null;
    getHeader(key: string): string | null;
  }
  export function handle(
    fn: (input: Buffer, ctx: FnContext) => Promise<unknown> | unknown,
    options?: { inputMode?: 'json' | 'string' | 'buffer' },
  ): () => void;
}

/** message gives the sentence to show for a failure of any shape. */
export function message(err: unknown): string {
  if (err instanceof Error && err.message.trim() !== '') return err.message;
  if (typeof err === 'string' && err.trim() !== '') return err;
  return 'Something went wrong.';
}

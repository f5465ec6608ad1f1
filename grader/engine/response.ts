// One shape for a response, however it was received (undici or a raw socket).

export interface Received {
  status: number;
  /** "HTTP/1.1 200 OK" as sent (raw client) or rebuilt from the status code (undici). */
  statusLine: string;
  /** Header fields in the order received; names as sent. */
  headers: [string, string][];
  body: Buffer;
  /** The body decoded as UTF-8. */
  text: string;
}

/** A header's value, matched case-insensitively; repeated fields are joined with ", ". */
export function header(response: Pick<Received, 'headers'>, name: string): string | undefined {
  const values = headerValues(response, name);
  return values.length ? values.join(', ') : undefined;
}

export function headerValues(response: Pick<Received, 'headers'>, name: string): string[] {
  const wanted = name.toLowerCase();
  return response.headers.filter(([n]) => n.toLowerCase() === wanted).map(([, v]) => v);
}

// Time limits; the environment may raise them on a slow machine or lower them in tests.
export const limits = {
  startMs: Number(process.env.ROUNDTRIP_START_TIMEOUT_MS) || 10_000,
  requestMs: Number(process.env.ROUNDTRIP_REQUEST_TIMEOUT_MS) || 3_000,
};

// The S3 backend registers itself here once it exists (kept separate so the CLI imports one line).
export {};

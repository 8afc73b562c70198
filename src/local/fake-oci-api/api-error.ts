/** An answer the fake gives as an OCI error body `{code, message}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** OCI answers a missing resource and a forbidden one alike, so that probing reveals nothing. */
export const notFound = (): ApiError =>
  new ApiError(404, 'NotAuthorizedOrNotFound', 'Authorization failed or requested resource not found.');

export const notAuthenticated = (why: string): ApiError =>
  new ApiError(401, 'NotAuthenticated', `The required information to complete authentication was not provided or was incorrect: ${why}`);

export const invalidParameter = (message: string): ApiError => new ApiError(400, 'InvalidParameter', message);

export const missingParameter = (name: string): ApiError => new ApiError(400, 'MissingParameter', `Missing query parameter: ${name}`);

export const tooManyRequests = (): ApiError => new ApiError(429, 'TooManyRequests', 'Too many requests for the tenancy.');

/**
 * Errors a web framework turns into an error response to the one request, not a failure of the
 * service: NestJS's HTTP exceptions (`@nestjs/common`), as Python's `HTTPException` (usage.ts).
 * Code that throws one when a variable is unset (`if (!key) throw new
 * ServiceUnavailableException('Payments are not configured')`, a guard's `throw new
 * UnauthorizedException()` while its shared secret is unset) answers every other request as
 * usual: the variable turns the feature on, and its absence is a designed state (fail-closed) —
 * as an Express handler's `return res.status(503).json(…)` is.
 */
const HTTP_EXCEPTIONS = new Set([
  'HttpException', 'BadRequestException', 'UnauthorizedException', 'ForbiddenException', 'NotFoundException',
  'MethodNotAllowedException', 'NotAcceptableException', 'RequestTimeoutException', 'ConflictException', 'GoneException',
  'PreconditionFailedException', 'PayloadTooLargeException', 'UnsupportedMediaTypeException', 'UnprocessableEntityException',
  'ImATeapotException', 'MisdirectedException', 'InternalServerErrorException', 'NotImplementedException', 'BadGatewayException',
  'ServiceUnavailableException', 'GatewayTimeoutException', 'HttpVersionNotSupportedException',
]);

/** Whether `new <name>(…)` answers the one request with an error rather than failing the service. */
export function isFeatureOffError(name: string): boolean {
  return HTTP_EXCEPTIONS.has(name);
}

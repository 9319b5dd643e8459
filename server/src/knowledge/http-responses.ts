/**
 * Errors a web framework turns into a response that says a feature is switched off, not that the
 * service broke: HTTP 503 Service Unavailable and 501 Not Implemented. Code that throws one when a
 * variable is unset (`if (!key) throw new ServiceUnavailableException('Payments are not
 * configured')`) answers every other request as usual: the variable turns the feature on, and its
 * absence is a designed state. NestJS's built-in exceptions (`@nestjs/common`).
 */
const UNAVAILABLE_FEATURE = new Set(['ServiceUnavailableException', 'NotImplementedException']);

/** Whether `new <name>(…)` answers "this feature is not available" rather than failing. */
export function isFeatureOffError(name: string): boolean {
  return UNAVAILABLE_FEATURE.has(name);
}

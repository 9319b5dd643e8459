/**
 * Modules a framework reads by name rather than through imports: Django's settings
 * (`settings.py`, `settings_staging.py`, or any module of a `settings/` package such as
 * `config/settings/production.py`, which `DJANGO_SETTINGS_MODULE` names). Django and its back
 * ends take their configuration from the module's constants (`EMAIL_HOST_PASSWORD`,
 * `GS_BUCKET_NAME`), so a constant stored there is used even when nothing in the file uses it.
 * Anywhere else such a constant is used by other modules or by none, which the file does not show.
 */
const SETTINGS_MODULE = /(^|\/)(settings(_[\w-]+)?\.py|settings\/[\w-]+\.py)$/;

export function isFrameworkSettingsModule(file: string): boolean {
  return SETTINGS_MODULE.test(file.replace(/\\/g, '/'));
}

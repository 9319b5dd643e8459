/**
 * Renders a finding's message from its rule's `meta.messages` template and the report's data.
 * Placeholders are `{{name}}` (no spaces; GitHub's `${{ … }}` in a message stays literal text).
 * A report naming an unknown message id, or leaving a placeholder without a value, is a bug in
 * the rule: it throws, and the engine reports the rule as failed.
 */
import type { MessageData } from '../rules/types';

const PLACEHOLDER = /\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}/g;

/** The placeholder names a template uses, in order of first use. */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]))];
}

export class MessageError extends Error {}

export function renderMessage(
  meta: { id: string; messages: Readonly<Record<string, string>> },
  messageId: string,
  data: MessageData = {},
): string {
  if (!Object.prototype.hasOwnProperty.call(meta.messages, messageId)) {
    throw new MessageError(`rule ${meta.id} reported unknown messageId "${messageId}"`);
  }
  const template = meta.messages[messageId];
  return template.replace(PLACEHOLDER, (_all, name: string) => {
    const value = Object.prototype.hasOwnProperty.call(data, name) ? data[name] : undefined;
    if (value === undefined) {
      throw new MessageError(`rule ${meta.id}, message "${messageId}": no value for {{${name}}}`);
    }
    return String(value);
  });
}

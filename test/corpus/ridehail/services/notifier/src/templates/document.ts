export const documentSubject = (name: string): string => `Your document update, ${name}`;

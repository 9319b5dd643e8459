export const quoteSubject = (name: string): string => `Your quote update, ${name}`;

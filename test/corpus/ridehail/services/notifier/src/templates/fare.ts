export const fareSubject = (name: string): string => `Your fare update, ${name}`;

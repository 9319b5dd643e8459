export const invoiceSubject = (name: string): string => `Your invoice update, ${name}`;

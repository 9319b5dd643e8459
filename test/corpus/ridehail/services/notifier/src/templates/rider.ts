export const riderSubject = (name: string): string => `Your rider update, ${name}`;

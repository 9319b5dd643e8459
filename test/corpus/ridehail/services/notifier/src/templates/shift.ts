export const shiftSubject = (name: string): string => `Your shift update, ${name}`;

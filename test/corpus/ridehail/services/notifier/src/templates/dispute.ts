export const disputeSubject = (name: string): string => `Your dispute update, ${name}`;

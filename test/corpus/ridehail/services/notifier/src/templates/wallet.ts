export const walletSubject = (name: string): string => `Your wallet update, ${name}`;

export const promoSubject = (name: string): string => `Your promo update, ${name}`;

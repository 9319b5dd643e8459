export const vehicleSubject = (name: string): string => `Your vehicle update, ${name}`;

export const apiBase: string = import.meta.env.VITE_API_BASE_URL;
export const mapsKey: string = import.meta.env.VITE_MAPS_BROWSER_KEY ?? "";
export const isProd = import.meta.env.PROD;

import GoogleProvider from "next-auth/providers/google";
import type { NextAuthOptions } from "next-auth";

export const authOptions: NextAuthOptions = {
  secret: process.env.NEXTAUTH_SECRET,
  providers: [
    GoogleProvider({
      clientId: process.env.GOOGLE_OAUTH_CLIENT_ID_STAGING!,
      clientSecret: process.env.GOOGLE_OAUTH_CLIENT_SECRET_STAGING!,
    }),
  ],
};

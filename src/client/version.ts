/** This package's name and version, as sent in the user agent (a test keeps it equal to package.json). */
export const PACKAGE_NAME = "lambda-microvms";
export const PACKAGE_VERSION = "0.1.0";

/** A page that is not there is an everyday event, not a fault: one line in the log, no stack trace. */
export function logNotFound(request: Request) {
  console.warn(`404 ${request.method} ${new URL(request.url).pathname}`);
}

/**
 * The registrable domain ("site") of a host, as browsers use it for SameSite
 * and third-party cookie decisions, approximated without the Public Suffix
 * List: the last two labels; three under a two-letter country code with a
 * generic second level (`app.example.co.uk` → `example.co.uk`) and under the
 * hosting platforms whose sub-domains belong to different owners
 * (`shop.herokuapp.com` is its own site). IP addresses and single-label hosts
 * are their own site. Generic HTTP knowledge only.
 */

/** Second-level labels under which registrable domains have three labels (co.uk, com.au …). */
const SECOND_LEVEL = new Set(["co", "com", "net", "org", "gov", "edu", "ac", "or", "ne", "go", "gob", "mil", "nic", "ltd", "plc"]);

/** Platform suffixes (public suffixes in the PSL) whose sub-domains are separate sites. */
const PLATFORM_SUFFIXES = new Set([
  "herokuapp.com", "vercel.app", "netlify.app", "github.io", "azurewebsites.net", "cloudfront.net", "appspot.com", "web.app", "pages.dev", "workers.dev",
]);

export function siteOf(host: string): string {
  const h = host.toLowerCase().replace(/\.$/, "");
  if (/^[\d.]+$/.test(h) || h.includes(":") || !h.includes(".")) return h;
  const labels = h.split(".");
  const n = labels.length;
  if (n >= 3 && ((labels[n - 1]!.length === 2 && SECOND_LEVEL.has(labels[n - 2]!)) || PLATFORM_SUFFIXES.has(labels.slice(n - 2).join(".")))) {
    return labels.slice(n - 3).join(".");
  }
  return labels.slice(n - 2).join(".");
}

/**
 * The parts of the Chrome DevTools Protocol's Network domain the browser
 * recorder reads (https://chromedevtools.github.io/devtools-protocol/tot/Network/).
 * Only the fields used are declared; everything is optional that Chrome may leave out.
 */

/** Header name → value; several values of one header are joined with "\n". */
export type CdpHeaders = Record<string, string>;

export interface CdpRequest {
  url: string;
  urlFragment?: string;
  method: string;
  headers: CdpHeaders;
  postData?: string;
  hasPostData?: boolean;
  postDataEntries?: { bytes?: string }[];
}

/** Offsets in ms from `requestTime` (seconds, monotonic); -1 when the phase did not happen. */
export interface CdpResourceTiming {
  requestTime: number;
  dnsStart: number;
  dnsEnd: number;
  connectStart: number;
  connectEnd: number;
  sslStart: number;
  sslEnd: number;
  sendStart: number;
  sendEnd: number;
  receiveHeadersEnd: number;
}

export interface CdpResponse {
  url: string;
  status: number;
  statusText: string;
  headers: CdpHeaders;
  mimeType: string;
  connectionId?: number;
  remoteIPAddress?: string;
  remotePort?: number;
  fromDiskCache?: boolean;
  fromServiceWorker?: boolean;
  encodedDataLength?: number;
  timing?: CdpResourceTiming;
  /** `http/1.1`, `h2`, `h3`, `data` … */
  protocol?: string;
}

export interface CdpInitiator {
  type: string;
  url?: string;
  lineNumber?: number;
  columnNumber?: number;
  requestId?: string;
  stack?: { callFrames?: { functionName?: string; url?: string; lineNumber?: number; columnNumber?: number }[] };
}

export interface RequestWillBeSent {
  requestId: string;
  loaderId?: string;
  documentURL?: string;
  request: CdpRequest;
  /** Seconds, monotonic. */
  timestamp: number;
  /** Seconds since the epoch. */
  wallTime: number;
  initiator?: CdpInitiator;
  redirectHasExtraInfo?: boolean;
  redirectResponse?: CdpResponse;
  type?: string;
  frameId?: string;
}

/** A cookie as Chrome describes it (its value is a secret: the recorder drops it). */
export interface CdpCookie {
  name: string;
  value?: string;
  domain?: string;
  path?: string;
  [key: string]: unknown;
}

export interface AssociatedCookie {
  cookie: CdpCookie;
  blockedReasons: string[];
  exemptionReason?: string;
}

export interface RequestWillBeSentExtraInfo {
  requestId: string;
  associatedCookies?: AssociatedCookie[];
  headers: CdpHeaders;
}

export interface BlockedSetCookie {
  blockedReasons: string[];
  cookieLine: string;
  cookie?: CdpCookie;
}

export interface ExemptedSetCookie {
  exemptionReason: string;
  cookieLine: string;
  cookie: CdpCookie;
}

export interface ResponseReceivedExtraInfo {
  requestId: string;
  blockedCookies?: BlockedSetCookie[];
  exemptedCookies?: ExemptedSetCookie[];
  headers: CdpHeaders;
  statusCode: number;
  headersText?: string;
}

export interface ResponseReceived {
  requestId: string;
  timestamp: number;
  type?: string;
  response: CdpResponse;
  hasExtraInfo?: boolean;
}

export interface DataReceived {
  requestId: string;
  dataLength: number;
  encodedDataLength: number;
}

export interface LoadingFinished {
  requestId: string;
  timestamp: number;
  encodedDataLength: number;
}

export interface CorsErrorStatus {
  corsError: string;
  failedParameter: string;
}

export interface LoadingFailed {
  requestId: string;
  timestamp: number;
  type?: string;
  errorText: string;
  canceled?: boolean;
  blockedReason?: string;
  corsErrorStatus?: CorsErrorStatus;
}

/**
 * Every error code Chartroom answers with. `docs/errors.md` lists each with how to resolve it;
 * a test keeps the two in step.
 */
export const ERROR_CATALOGUE = {
  // request shape
  VALIDATION_FAILED: { status: 400, title: 'The request is not valid' },
  INVALID_PARAMETER: { status: 400, title: 'Unknown or malformed parameter' },
  INVALID_SORT: { status: 400, title: 'Sort field not allowed' },
  MALFORMED_JSON: { status: 400, title: 'The body is not valid JSON' },
  JSON_TOO_DEEP: { status: 400, title: 'The JSON body is nested too deeply' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported content type' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  ROUTE_NOT_FOUND: { status: 404, title: 'No such route' },
  // authentication and sessions
  NOT_AUTHENTICATED: { status: 401, title: 'Sign-in required' },
  SESSION_EXPIRED: { status: 401, title: 'The session has ended' },
  INVALID_CREDENTIALS: { status: 401, title: 'Invalid username or password' },
  MFA_REQUIRED: { status: 401, title: 'A one-time code is required' },
  INVALID_TOTP: { status: 401, title: 'The one-time code is not valid' },
  SESSION_STAGE_INCOMPLETE: { status: 403, title: 'Finish signing in first' },
  CSRF_TOKEN_INVALID: { status: 403, title: 'Missing or invalid CSRF token' },
  PASSWORD_TOO_WEAK: { status: 400, title: 'The new password is too weak' },
  MFA_CODE_MISMATCH: { status: 400, title: 'The code does not match the new authenticator' },
  MFA_NOT_PENDING: { status: 409, title: 'No MFA enrolment is in progress' },
  // authorisation
  FORBIDDEN: { status: 403, title: 'Not permitted' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  BREAK_GLASS_NOT_AUTHORISED: { status: 403, title: 'Not authorised to break the glass' },
  // users
  USER_NOT_FOUND: { status: 404, title: 'No such user' },
  USERNAME_TAKEN: { status: 409, title: 'The username is already in use' },
  UNKNOWN_ROLE: { status: 400, title: 'Unknown role' },
  LAST_ADMIN: { status: 409, title: 'The last active administrator cannot be removed' },
  // audit
  // code sets
  CODESET_FILE_INVALID: { status: 400, title: 'A code-set file is not valid' },
  CODESET_IMPORT_FAILED: { status: 400, title: 'The code-set import found nothing to import' },
  CODESET_DOWNLOAD_FAILED: { status: 502, title: 'A code-set download failed' },
  CODE_SYSTEM_UNKNOWN: { status: 400, title: 'Unknown code system' },
  CODESET_NOT_LOADED: { status: 404, title: 'No release of this code system is loaded' },
  CODE_VERSION_UNKNOWN: { status: 404, title: 'No such code-set version' },
  CODE_NOT_FOUND: { status: 404, title: 'No such code' },
  QUERY_INVALID: { status: 400, title: 'The search query is not valid' },
  // Medicare Code Editor
  MCE_TABLES_INVALID: { status: 400, title: 'An MCE table file is not valid' },
  MCE_IMPORT_FAILED: { status: 400, title: 'The MCE import found nothing to import' },
  MCE_VERSION_CONFLICT: { status: 409, title: 'The MCE version is already loaded with other content' },
  MCE_TABLES_MISSING: { status: 422, title: 'No MCE tables are loaded for the discharge date' },
  MCE_VERSION_UNKNOWN: { status: 400, title: 'No such MCE version is loaded' },
  MCE_CLAIMS_UNREADABLE: { status: 400, title: 'The claims file cannot be read' },
  // MS-DRG grouper
  MSDRG_DEFINITIONS_INVALID: { status: 400, title: 'An MS-DRG definitions file is not valid' },
  MSDRG_IMPORT_FAILED: { status: 400, title: 'The MS-DRG import found nothing to import' },
  MSDRG_VERSION_CONFLICT: { status: 409, title: 'The MS-DRG version is already loaded with other content' },
  MSDRG_NOT_LOADED: { status: 422, title: 'No MS-DRG grouper version is loaded' },
  MSDRG_VERSION_UNKNOWN: { status: 400, title: 'No such MS-DRG grouper version is loaded' },
  MSDRG_CLAIMS_UNREADABLE: { status: 400, title: 'The claims file cannot be read' },
  // patient matching (chartroom mpi dedupe)
  MPI_CSV_INVALID: { status: 400, title: 'A CSV file of person records is not valid' },
  MPI_MAP_INVALID: { status: 400, title: 'The column mapping (--map) is not valid' },
  MPI_FILE_UNREADABLE: { status: 400, title: 'An input file cannot be read' },
  // master patient index and encounters
  PATIENT_NOT_FOUND: { status: 404, title: 'No patient with these identifiers' },
  PATIENT_IDENTIFIER_MISSING: { status: 400, title: 'No patient identifier was given' },
  PATIENT_IDENTIFIER_TAKEN: { status: 409, title: 'The identifier belongs to another patient' },
  PATIENT_IDENTIFIERS_CONFLICT: { status: 409, title: 'The identifiers name different patients' },
  PATIENT_VERSION_CONFLICT: { status: 409, title: 'The patient was changed by someone else' },
  MERGE_INVALID: { status: 409, title: 'The merge or unmerge cannot be done' },
  CANDIDATE_DECIDED: { status: 409, title: 'The candidate pair was already decided' },
  ADT_VISIT_MISSING: { status: 400, title: 'The ADT event names no visit' },
  ADT_VISIT_OTHER_PATIENT: { status: 409, title: 'The visit belongs to another patient' },
  // coding and physician queries
  ABSTRACT_INVALID: { status: 400, title: 'The abstract is not valid' },
  ABSTRACT_INCOMPLETE: { status: 422, title: 'The abstract cannot be marked coded or final yet' },
  ABSTRACT_LOCKED: { status: 409, title: 'The abstract is final' },
  ABSTRACT_NOT_FINAL: { status: 409, title: 'The abstract is not final' },
  ABSTRACT_VERSION_CONFLICT: { status: 409, title: 'The abstract was saved by someone else' },
  CODING_ASSIGNEE_INVALID: { status: 400, title: 'Cases can be assigned only to an active coder' },
  QUERY_NOT_COMPLIANT: { status: 422, title: 'The physician query is not compliant' },
  QUERY_CLOSED: { status: 409, title: 'The query is already answered or withdrawn' },
  DEMO_ALREADY_SEEDED: { status: 409, title: 'The demo data is already loaded' },
  // FHIR import
  FHIR_IMPORT_FAILED: { status: 400, title: 'The FHIR import found nothing to import' },
  FHIR_BUNDLE_INVALID: { status: 400, title: 'A FHIR bundle is not valid' },
  // HL7 v2 (MLLP listener)
  HL7_MESSAGE_INVALID: { status: 400, title: 'The HL7 v2 message is not well formed' },
  HL7_MESSAGE_UNSUPPORTED: { status: 400, title: 'The HL7 v2 message type is not supported' },
  HL7_EVENT_UNSUPPORTED: { status: 400, title: 'The ADT event is not supported' },
  HL7_REQUIRED_FIELD_MISSING: { status: 400, title: 'A required HL7 v2 field is missing' },
  HL7_ERROR_NOT_FOUND: { status: 404, title: 'No such HL7 v2 error-queue entry' },
  HL7_ERROR_RESOLVED: { status: 409, title: 'The HL7 v2 error-queue entry is already resolved' },
  MLLP_PORT_IN_USE: { status: 500, title: 'The MLLP port is already in use' },
  MLLP_TLS_INVALID: { status: 500, title: 'The MLLP TLS certificate or key cannot be read' },
  // platform
  CONFIG_INVALID: { status: 500, title: 'The configuration is not valid' },
  DATABASE_UNAVAILABLE: { status: 503, title: 'The database is not reachable' },
  MIGRATION_FAILED: { status: 500, title: 'A database migration failed' },
  MIGRATION_CHECKSUM_MISMATCH: { status: 500, title: 'An applied migration was changed' },
  EMBEDDED_DB_FAILED: { status: 500, title: 'The embedded PostgreSQL did not start' },
  INTERNAL: { status: 500, title: 'Internal error' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

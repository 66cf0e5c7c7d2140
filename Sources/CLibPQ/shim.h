/* libpq, PostgreSQL's C client library (Debian: libpq-dev), which puts its headers under postgresql/. */
#include <postgresql/libpq-fe.h>

/* The diagnostic fields chiso reads from an error (postgres_ext.h defines them as character constants,
   which Swift does not import). */
static const int chiso_pg_diag_sqlstate = PG_DIAG_SQLSTATE;
static const int chiso_pg_diag_message_detail = PG_DIAG_MESSAGE_DETAIL;
static const int chiso_pg_diag_message_hint = PG_DIAG_MESSAGE_HINT;
static const int chiso_pg_diag_message_primary = PG_DIAG_MESSAGE_PRIMARY;

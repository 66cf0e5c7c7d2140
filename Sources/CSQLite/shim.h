#include <sqlite3.h>
#include <stdint.h>

/// SQLITE_TRANSIENT is a macro cast of -1 that Swift cannot import; this constant stands in for it.
static const sqlite3_destructor_type chiso_sqlite_transient = (sqlite3_destructor_type)-1;

/// chiso_digest(...): the sum modulo 2^64 of a hash of each row's values (FNV-1a over each value's type and
/// bytes, then SplitMix64's finaliser), the order-independent digest of Warehouse+Seal.swift. In C, as it runs
/// once per row of every table sealed.
static inline uint64_t chiso_fnv(uint64_t hash, const unsigned char *bytes, int count) {
    for (int i = 0; i < count; i++) { hash ^= bytes[i]; hash *= 0x100000001b3ULL; }
    return hash;
}

/// The hash of one row, value by value: begin, add each value (its type's tag, then its bytes), end. The
/// registry writer hashes the rows it writes with the same functions, to update a seal without a scan.
static inline uint64_t chiso_row_hash_begin(void) { return 0xcbf29ce484222325ULL; }

static inline uint64_t chiso_row_hash_tag(uint64_t hash, int type) {
    unsigned char tag = (unsigned char)type;
    return chiso_fnv(hash, &tag, 1);
}

static inline uint64_t chiso_row_hash_integer(uint64_t hash, sqlite3_int64 v) {
    return chiso_fnv(chiso_row_hash_tag(hash, SQLITE_INTEGER), (const unsigned char *)&v, sizeof v);
}

static inline uint64_t chiso_row_hash_real(uint64_t hash, double v) {
    return chiso_fnv(chiso_row_hash_tag(hash, SQLITE_FLOAT), (const unsigned char *)&v, sizeof v);
}

static inline uint64_t chiso_row_hash_bytes(uint64_t hash, int type, const unsigned char *bytes, int n) {
    hash = chiso_row_hash_tag(hash, type);
    if (bytes) hash = chiso_fnv(hash, bytes, n);
    sqlite3_int64 length = n;
    return chiso_fnv(hash, (const unsigned char *)&length, sizeof length);
}

static inline uint64_t chiso_row_hash_null(uint64_t hash) { return chiso_row_hash_tag(hash, SQLITE_NULL); }

static inline uint64_t chiso_row_hash_end(uint64_t hash) {
    hash = (hash ^ (hash >> 30)) * 0xbf58476d1ce4e5b9ULL;
    hash = (hash ^ (hash >> 27)) * 0x94d049bb133111ebULL;
    return hash ^ (hash >> 31);
}

static inline void chiso_digest_step(sqlite3_context *context, int count, sqlite3_value **values) {
    uint64_t *sum = (uint64_t *)sqlite3_aggregate_context(context, sizeof(uint64_t));
    if (!sum) return;
    uint64_t hash = chiso_row_hash_begin();
    for (int i = 0; i < count; i++) {
        int type = sqlite3_value_type(values[i]);
        if (type == SQLITE_INTEGER) {
            hash = chiso_row_hash_integer(hash, sqlite3_value_int64(values[i]));
        } else if (type == SQLITE_FLOAT) {
            hash = chiso_row_hash_real(hash, sqlite3_value_double(values[i]));
        } else if (type == SQLITE_TEXT || type == SQLITE_BLOB) {
            const unsigned char *bytes = type == SQLITE_TEXT ? sqlite3_value_text(values[i])
                                                             : (const unsigned char *)sqlite3_value_blob(values[i]);
            hash = chiso_row_hash_bytes(hash, type, bytes, sqlite3_value_bytes(values[i]));
        } else {
            hash = chiso_row_hash_null(hash);
        }
    }
    *sum += chiso_row_hash_end(hash);
}

static inline void chiso_digest_final(sqlite3_context *context) {
    uint64_t *sum = (uint64_t *)sqlite3_aggregate_context(context, 0);
    sqlite3_result_int64(context, sum ? (sqlite3_int64)*sum : 0);
}

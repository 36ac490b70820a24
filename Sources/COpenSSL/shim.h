#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <openssl/rsa.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/crypto.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>

// Shims for macros Swift cannot import (composite integer macros) and for names OpenSSL keeps
// by pointer: OSSL_PARAM_BLD stores the key string without copying it, so the names must live in
// static storage (string literals), never in a temporary bridged from a Swift String.

static inline const char *shim_ossl_param_rsa_n(void) { return OSSL_PKEY_PARAM_RSA_N; }
static inline const char *shim_ossl_param_rsa_e(void) { return OSSL_PKEY_PARAM_RSA_E; }
static inline const char *shim_ossl_keytype_rsa(void) { return "RSA"; }
static inline int shim_evp_pkey_public_key_selection(void) { return EVP_PKEY_PUBLIC_KEY; }

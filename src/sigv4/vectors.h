// Test-only: loads the SigV4 known-answer cases in
// shared/testdata/sigv4/<case>/ (see its README.md).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "moe/clock.h"
#include "moe/credentials.h"
#include "moe/result.h"
#include "moe/sigv4.h"
#include "moe/transport.h"

namespace moe::sigv4::testing {

// The folder holding the cases (compile definition MOE_SIGV4_TESTDATA).
std::string VectorRoot();

// Case folder names, sorted; empty when the folder is missing.
std::vector<std::string> ListVectorCases();

// A raw HTTP/1.1 request as written in request.txt: folded header lines stay
// in the value joined by '\n'; the URL is "https://" + Host + target.
Result<HttpRequest> ParseRawRequest(std::string_view text);

struct VectorCase {
  std::string name;
  Credentials credentials;
  std::string region;
  std::string service;
  Clock::TimePoint time;
  bool normalize = true;
  bool sign_body = false;
  bool omit_session_token = false;
  std::chrono::seconds expires{0};
  HttpRequest request;

  SignerOptions signer_options() const {
    return SignerOptions{.region = region,
                         .service = service,
                         .normalize_path = normalize,
                         .double_encode_path = true,
                         .add_content_sha256_header = sign_body,
                         .sign_session_token = !omit_session_token};
  }
  // The contents of <case>/<file>, or an error naming the file.
  Result<std::string> File(std::string_view file) const;
};

Result<VectorCase> LoadVectorCase(const std::string& name);

}  // namespace moe::sigv4::testing

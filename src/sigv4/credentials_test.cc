#include "moe/credentials.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "sigv4/profile_file.h"

namespace moe {
namespace {

constexpr char kSecret[] = "s3cr3t/K7MDENG+bPxRfiCYzzSECRET";
constexpr char kToken[] = "TOKENtoken//////abc==";

class FakeEnv {
 public:
  FakeEnv& Set(std::string name, std::string value) {
    vars_[std::move(name)] = std::move(value);
    return *this;
  }
  GetenvFn Fn() const {
    return [vars = vars_](std::string_view name) -> std::optional<std::string> {
      auto it = vars.find(std::string(name));
      if (it == vars.end()) return std::nullopt;
      return it->second;
    };
  }

 private:
  std::map<std::string, std::string> vars_;
};

class CredentialsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("moe_credentials_test_" + std::to_string(::getpid()) + "_" + info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ / "home" / ".aws");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& relative, const std::string& text) {
    std::filesystem::path p = dir_ / relative;
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
  std::string Home() const { return (dir_ / "home").string(); }
  FakeEnv HomeEnv() const { return FakeEnv().Set("HOME", Home()); }

  std::filesystem::path dir_;
};

// --- Credentials value --------------------------------------------------------

TEST(CredentialsValueTest, PrintsRedacted) {
  Credentials c{"AKIDEXAMPLE", kSecret, kToken};
  EXPECT_EQ(c.ToString(),
            "Credentials{access_key_id=AKIDEXAMPLE, secret_access_key=<redacted>, "
            "session_token=<redacted>}");
  std::ostringstream os;
  os << c;
  EXPECT_EQ(os.str(), c.ToString());
  EXPECT_EQ(::testing::PrintToString(c), c.ToString());
  EXPECT_EQ(Credentials({"A", "", ""}).ToString(),
            "Credentials{access_key_id=A, secret_access_key=<none>, session_token=<none>}");
}

// --- Static and environment ---------------------------------------------------

TEST(StaticProviderTest, ReturnsOrRejectsEmpty) {
  Credentials c{"AKID", kSecret, ""};
  EXPECT_EQ(*NewStaticCredentialsProvider(c)->GetCredentials(), c);
  auto bad = NewStaticCredentialsProvider({"AKID", "", ""})->GetCredentials();
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), ErrorCode::kInvalidArgument);
}

TEST(EnvironmentProviderTest, ReadsKeysAndToken) {
  auto env = FakeEnv().Set("AWS_ACCESS_KEY_ID", "AKID").Set("AWS_SECRET_ACCESS_KEY", kSecret);
  EXPECT_EQ(*NewEnvironmentCredentialsProvider(env.Fn())->GetCredentials(),
            (Credentials{"AKID", kSecret, ""}));
  env.Set("AWS_SESSION_TOKEN", kToken);
  EXPECT_EQ(*NewEnvironmentCredentialsProvider(env.Fn())->GetCredentials(),
            (Credentials{"AKID", kSecret, kToken}));
}

TEST(EnvironmentProviderTest, MissingOrEmptyHalves) {
  for (const FakeEnv& env :
       {FakeEnv(), FakeEnv().Set("AWS_ACCESS_KEY_ID", "AKID"),
        FakeEnv().Set("AWS_SECRET_ACCESS_KEY", kSecret),
        FakeEnv().Set("AWS_ACCESS_KEY_ID", "").Set("AWS_SECRET_ACCESS_KEY", kSecret)}) {
    auto got = NewEnvironmentCredentialsProvider(env.Fn())->GetCredentials();
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error().code(), ErrorCode::kInvalidArgument);
  }
  auto half = NewEnvironmentCredentialsProvider(FakeEnv().Set("AWS_ACCESS_KEY_ID", "AKID").Fn())
                  ->GetCredentials();
  EXPECT_EQ(half.error().message(),
            "environment: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
}

// --- Profiles -----------------------------------------------------------------

TEST_F(CredentialsTest, DefaultProfileFromHomeCredentialsFile) {
  Write("home/.aws/credentials",
        "# comment\n; other comment\n[default]\naws_access_key_id = AKIDDEFAULT\n"
        "aws_secret_access_key=" +
            std::string(kSecret) +
            "\n\n[other]\naws_access_key_id=AKIDOTHER\n"
            "aws_secret_access_key = x\naws_session_token = " +
            kToken + "\n");
  auto got = NewProfileCredentialsProvider(HomeEnv().Fn())->GetCredentials();
  ASSERT_TRUE(got) << got.error().ToString();
  EXPECT_EQ(*got, (Credentials{"AKIDDEFAULT", kSecret, ""}));

  auto other =
      NewProfileCredentialsProvider(HomeEnv().Set("AWS_PROFILE", "other").Fn())->GetCredentials();
  ASSERT_TRUE(other);
  EXPECT_EQ(*other, (Credentials{"AKIDOTHER", "x", kToken}));

  // The explicit option beats AWS_PROFILE.
  auto opt = NewProfileCredentialsProvider(HomeEnv().Set("AWS_PROFILE", "other").Fn(),
                                           {.profile = "default"})
                 ->GetCredentials();
  EXPECT_EQ(opt->access_key_id, "AKIDDEFAULT");
}

TEST_F(CredentialsTest, ConfigFileProfilesUseProfilePrefix) {
  Write("home/.aws/config",
        "[default]\naws_access_key_id = AKIDCFGDEFAULT\naws_secret_access_key = a\n"
        "[profile dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = b\n"
        "s3 =\n  max_concurrent_requests = 20\n"
        "[prod]\naws_access_key_id = AKIDWRONG\naws_secret_access_key = c\n"
        "[sso-session corp]\nsso_region = us-east-1\n");
  EXPECT_EQ(NewProfileCredentialsProvider(HomeEnv().Fn())->GetCredentials()->access_key_id,
            "AKIDCFGDEFAULT");
  EXPECT_EQ(NewProfileCredentialsProvider(HomeEnv().Fn(), {.profile = "dev"})
                ->GetCredentials()
                ->access_key_id,
            "AKIDDEV");
  // "[prod]" without the "profile " prefix is not a profile in the config file.
  auto prod = NewProfileCredentialsProvider(HomeEnv().Fn(), {.profile = "prod"})->GetCredentials();
  ASSERT_FALSE(prod);
  EXPECT_NE(prod.error().message().find("profile 'prod'"), std::string::npos);
}

TEST_F(CredentialsTest, CredentialsFileWinsOverConfig) {
  Write("home/.aws/credentials",
        "[dev]\naws_access_key_id = FROMCREDS\naws_secret_access_key = a\n");
  Write("home/.aws/config",
        "[profile dev]\naws_access_key_id = FROMCONFIG\naws_secret_access_key = b\n");
  EXPECT_EQ(NewProfileCredentialsProvider(HomeEnv().Set("AWS_PROFILE", "dev").Fn())
                ->GetCredentials()
                ->access_key_id,
            "FROMCREDS");
}

TEST_F(CredentialsTest, EnvironmentOverridesFilePaths) {
  std::string creds =
      Write("elsewhere-credentials",
            "[default]\naws_access_key_id = ELSEWHERE\naws_secret_access_key = a\n");
  std::string config = Write("elsewhere-config", "[profile p]\nregion = eu-west-3\n");
  Write("home/.aws/credentials",
        "[default]\naws_access_key_id = HOME\naws_secret_access_key = a\n");
  auto env = HomeEnv().Set("AWS_SHARED_CREDENTIALS_FILE", creds).Set("AWS_CONFIG_FILE", config);
  EXPECT_EQ(NewProfileCredentialsProvider(env.Fn())->GetCredentials()->access_key_id, "ELSEWHERE");
  EXPECT_EQ(*ResolveRegion(env.Set("AWS_PROFILE", "p").Fn()), "eu-west-3");
  // Explicit option paths beat the environment; "~" expands to HOME.
  auto opt = NewProfileCredentialsProvider(HomeEnv().Set("AWS_SHARED_CREDENTIALS_FILE", creds).Fn(),
                                           {.credentials_file = "~/.aws/credentials"});
  EXPECT_EQ(opt->GetCredentials()->access_key_id, "HOME");
}

TEST_F(CredentialsTest, MissingFilesAndProfiles) {
  auto none = NewProfileCredentialsProvider(HomeEnv().Fn())->GetCredentials();
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(none.error().message().find("profile 'default'"), std::string::npos);
  // No HOME and no override: nothing to read, still a clean error.
  auto no_home = NewProfileCredentialsProvider(FakeEnv().Fn())->GetCredentials();
  ASSERT_FALSE(no_home);
  EXPECT_NE(no_home.error().message().find("(no credentials file)"), std::string::npos);
}

TEST_F(CredentialsTest, MalformedFilesNameFileAndLine) {
  std::string path = Write("home/.aws/credentials",
                           "[default]\naws_access_key_id = AKID\nthis line has no equals\n");
  auto got = NewProfileCredentialsProvider(HomeEnv().Fn())->GetCredentials();
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(got.error().message(), path + ":3: expected 'name = value'");

  for (std::string text :
       {"[default\n", "[]\n", "key = value\n", "[default] trailing\n", "[default]\n= v\n"}) {
    Write("home/.aws/credentials", text);
    auto r = NewProfileCredentialsProvider(HomeEnv().Fn())->GetCredentials();
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument) << text;
    EXPECT_TRUE(r.error().message().starts_with(path + ":")) << r.error().message();
  }
}

TEST_F(CredentialsTest, HalfAKeyPairIsAnError) {
  Write("home/.aws/credentials",
        "[default]\naws_secret_access_key = " + std::string(kSecret) + "\n");
  auto got = NewProfileCredentialsProvider(HomeEnv().Fn())->GetCredentials();
  ASSERT_FALSE(got);
  EXPECT_NE(got.error().message().find("aws_secret_access_key but no aws_access_key_id"),
            std::string::npos);
}

TEST_F(CredentialsTest, CrlfAndCaseInsensitiveKeys) {
  Write("home/.aws/credentials",
        "[default]\r\nAWS_Access_Key_Id = AKID\r\naws_secret_access_key = x\r\n");
  auto got = NewProfileCredentialsProvider(HomeEnv().Fn())->GetCredentials();
  ASSERT_TRUE(got) << got.error().ToString();
  EXPECT_EQ(*got, (Credentials{"AKID", "x", ""}));
}

// --- Chain ----------------------------------------------------------------------

TEST_F(CredentialsTest, ChainPrefersEnvironmentThenProfile) {
  Write("home/.aws/credentials",
        "[default]\naws_access_key_id = FROMFILE\naws_secret_access_key = a\n");
  auto env = HomeEnv();
  EXPECT_EQ(NewDefaultCredentialsChain(env.Fn())->GetCredentials()->access_key_id, "FROMFILE");
  env.Set("AWS_ACCESS_KEY_ID", "FROMENV").Set("AWS_SECRET_ACCESS_KEY", kSecret);
  EXPECT_EQ(NewDefaultCredentialsChain(env.Fn())->GetCredentials()->access_key_id, "FROMENV");
}

TEST_F(CredentialsTest, ChainReportsEverySource) {
  auto got = NewDefaultCredentialsChain(HomeEnv().Fn())->GetCredentials();
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(got.error().message().starts_with("no credentials found: environment: "))
      << got.error().message();
  EXPECT_NE(got.error().message().find("; profile 'default'"), std::string::npos);
}

// --- Region and endpoint ----------------------------------------------------------

TEST_F(CredentialsTest, RegionPrecedence) {
  Write("home/.aws/config",
        "[default]\nregion = ap-south-1\n[profile dev]\nregion = eu-central-1\n");
  auto env = HomeEnv();
  EXPECT_EQ(*ResolveRegion(env.Fn()), "ap-south-1");
  EXPECT_EQ(*ResolveRegion(env.Fn(), {.profile = "dev"}), "eu-central-1");
  env.Set("AWS_DEFAULT_REGION", "us-west-1");
  EXPECT_EQ(*ResolveRegion(env.Fn()), "us-west-1");
  env.Set("AWS_REGION", "us-west-2");
  EXPECT_EQ(*ResolveRegion(env.Fn()), "us-west-2");
}

TEST_F(CredentialsTest, RegionMissingOrMalformedConfig) {
  auto none = ResolveRegion(HomeEnv().Fn());
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code(), ErrorCode::kInvalidArgument);
  // Region is read from the config file only, never the credentials file.
  Write("home/.aws/credentials", "[default]\nregion = us-east-2\n");
  EXPECT_FALSE(ResolveRegion(HomeEnv().Fn()));
  Write("home/.aws/config", "[default\nregion = us-east-2\n");
  auto bad = ResolveRegion(HomeEnv().Fn());
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find(":1: section header without ']'"), std::string::npos);
}

TEST_F(CredentialsTest, EndpointPrecedence) {
  Write("home/.aws/config", "[default]\nendpoint_url = http://from-profile:8000\n");
  auto env = HomeEnv();
  EXPECT_EQ(*ResolveEndpoint("dynamodb", "us-east-1", FakeEnv().Fn()),
            "https://dynamodb.us-east-1.amazonaws.com");
  EXPECT_EQ(*ResolveEndpoint("dynamodb", "us-east-1", env.Fn()), "http://from-profile:8000");
  env.Set("AWS_ENDPOINT_URL", "http://global:1");
  EXPECT_EQ(*ResolveEndpoint("dynamodb", "us-east-1", env.Fn()), "http://global:1");
  env.Set("AWS_ENDPOINT_URL_DYNAMODB", "http://ddb:2");
  EXPECT_EQ(*ResolveEndpoint("dynamodb", "us-east-1", env.Fn()), "http://ddb:2");
  EXPECT_EQ(*ResolveEndpoint("dynamodb", "us-east-1", env.Fn(), "http://explicit:3"),
            "http://explicit:3");
  // Other services do not see DynamoDB's variable.
  EXPECT_EQ(*ResolveEndpoint("sts", "us-east-1", env.Fn()), "http://global:1");
  env.Set("AWS_ENDPOINT_URL_DYNAMODB_STREAMS", "http://streams:4");
  EXPECT_EQ(*ResolveEndpoint("dynamodb-streams", "us-east-1", env.Fn()), "http://streams:4");
  env.Set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
  EXPECT_EQ(*ResolveEndpoint("dynamodb", "eu-west-1", env.Fn()),
            "https://dynamodb.eu-west-1.amazonaws.com");
  EXPECT_EQ(*ResolveEndpoint("dynamodb", "eu-west-1", env.Fn(), "http://explicit:3"),
            "http://explicit:3");
  auto no_region = ResolveEndpoint("dynamodb", "", FakeEnv().Fn());
  ASSERT_FALSE(no_region);
  EXPECT_EQ(no_region.error().code(), ErrorCode::kInvalidArgument);
}

// --- No secret ever shows ------------------------------------------------------------

TEST_F(CredentialsTest, NoErrorOrPrintedFormContainsTheSecret) {
  std::vector<std::string> texts;
  auto collect = [&](const Result<Credentials>& r) {
    if (r) {
      texts.push_back(r->ToString());
      texts.push_back(::testing::PrintToString(*r));
    } else {
      texts.push_back(r.error().ToString());
    }
  };
  const std::string secret = kSecret;
  collect(NewEnvironmentCredentialsProvider(FakeEnv().Set("AWS_SECRET_ACCESS_KEY", secret).Fn())
              ->GetCredentials());
  collect(NewEnvironmentCredentialsProvider(
              FakeEnv().Set("AWS_SECRET_ACCESS_KEY", secret).Set("AWS_SESSION_TOKEN", kToken).Fn())
              ->GetCredentials());
  collect(NewEnvironmentCredentialsProvider(FakeEnv()
                                                .Set("AWS_ACCESS_KEY_ID", "A")
                                                .Set("AWS_SECRET_ACCESS_KEY", secret)
                                                .Set("AWS_SESSION_TOKEN", kToken)
                                                .Fn())
              ->GetCredentials());
  collect(NewStaticCredentialsProvider({"", secret, kToken})->GetCredentials());
  collect(NewStaticCredentialsProvider({"A", secret, kToken})->GetCredentials());
  for (std::string text : {
           "[default]\naws_secret_access_key = " + secret + "\n",
           "[default]\naws_secret_access_key " + secret + "\n",
           "aws_secret_access_key = " + secret + "\n",
           "[default " + secret + "\n",
           "[default] " + secret + "\n",
           "[default]\naws_access_key_id = A\naws_secret_access_key = " + secret +
               "\naws_session_token " + kToken + "\n",
       }) {
    Write("home/.aws/credentials", text);
    Write("home/.aws/config", "[profile x]\n" + text);
    collect(NewProfileCredentialsProvider(HomeEnv().Fn())->GetCredentials());
    collect(NewProfileCredentialsProvider(HomeEnv().Fn(), {.profile = "x"})->GetCredentials());
    collect(NewDefaultCredentialsChain(HomeEnv().Set("AWS_SECRET_ACCESS_KEY", secret).Fn())
                ->GetCredentials());
    Result<std::string> region = ResolveRegion(HomeEnv().Fn(), {.profile = "x"});
    if (!region) texts.push_back(region.error().ToString());
    Result<std::string> endpoint =
        ResolveEndpoint("dynamodb", "us-east-1", HomeEnv().Fn(), {}, {.profile = "x"});
    if (!endpoint) texts.push_back(endpoint.error().ToString());
  }
  ASSERT_GT(texts.size(), 20u);
  for (const std::string& t : texts) {
    EXPECT_EQ(t.find(secret), std::string::npos) << t;
    EXPECT_EQ(t.find(kToken), std::string::npos) << t;
  }
}

}  // namespace
}  // namespace moe

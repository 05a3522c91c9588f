// Projection expressions: path (',' path)*, pairwise non-overlapping.
#include "ddbexpr/parser.h"
#include "ddbexpr/parser_base.h"

namespace moe::ddbexpr {
namespace {

class ProjectionParser : public ParserBase {
 public:
  ProjectionParser(std::string_view source, PlaceholderTracker& tracker)
      : ParserBase(source, ExpressionKind::kProjection, tracker) {}

  Result<ProjectionAst> Run() {
    MOE_TRY_STATUS(CheckSource());
    tokens_ = Tokenize(source_);
    ProjectionAst ast;
    std::vector<Path> seen;
    while (!stopped()) {
      Path path;
      if (CurKind() != TokenKind::kName && CurKind() != TokenKind::kNamePlaceholder) {
        SyntaxError();
        break;
      }
      if (!ParsePath(&path)) break;
      CheckOverlap(seen, path);
      ast.paths.push_back(std::move(path));
      if (CurKind() == TokenKind::kEof) break;
      if (!Expect(TokenKind::kComma)) break;
    }
    MOE_TRY_STATUS(Finish());
    return ast;
  }
};

}  // namespace

Result<ProjectionAst> ParseProjection(std::string_view expression, PlaceholderTracker& tracker) {
  return ProjectionParser(expression, tracker).Run();
}

}  // namespace moe::ddbexpr

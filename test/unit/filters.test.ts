// The pure half of ListSecrets filtering: how names, descriptions and tags split into the words that the
// `description` and `all` filters match (reference/aws-behaviour.md §6), prefix bounds, SQL literals, and which
// filters can narrow a search through an index. What the SQL selects is tested in integration/list-secrets.
import { describe, expect, it } from "vitest";
import { candidates, filtersSql, literal, prefixEnd, searchWords, splitWords } from "../../src/index-db/filters";
import { wordRows } from "../../src/index-db/secrets-index";

describe("splitWords", () => {
  it("splits on spaces: \"one and two\" has three words", () => {
    expect(splitWords("one and two")).toEqual(["one", "and", "two"]);
    expect(splitWords("  a   secret ")).toEqual(["a", "secret"]);
  });

  it("\"asecret\" and \"thesecret\" are single words, so \"secret\" is not a word of them", () => {
    expect(splitWords("asecret")).toEqual(["asecret"]);
    expect(splitWords("thesecret")).toEqual(["thesecret"]);
  });

  for (const separator of ["/", "_", "+", "=", ".", "@", "-"]) {
    it(`splits a name on "${separator}" when it is the only kind of separator`, () => {
      expect(splitWords(`prod${separator}AppBeta${separator}x1`)).toEqual(["prod", "App", "Beta", "x1"]);
    });
  }

  it("keeps a name that mixes separators whole (prod-AppBeta/x is not split)", () => {
    expect(splitWords("prod-AppBeta/x")).toEqual(["prod-AppBeta/x"]);
  });

  it("splits CamelCase before a capital followed by lowercase: COMPANYthings → COMPAN, Ythings; COMPANY stays whole", () => {
    expect(splitWords("uat/COMPANYthings/abc")).toEqual(["uat", "COMPAN", "Ythings", "abc"]);
    expect(splitWords("uat/COMPANY/abc")).toEqual(["uat", "COMPANY", "abc"]);
    expect(splitWords("DescTwo")).toEqual(["Desc", "Two"]);
    expect(splitWords("SecretFTag")).toEqual(["Secret", "F", "Tag"]);
  });

  it("a lone separator has no words, so \"+\" matches nothing", () => {
    expect(splitWords("+")).toEqual([]);
    expect(splitWords("")).toEqual([]);
    expect(splitWords("   ")).toEqual([]);
  });
});

describe("searchWords", () => {
  it("lower-cases and de-duplicates, since description and all are not case-sensitive", () => {
    expect(searchWords("One one ONE Two")).toEqual(["one", "two"]);
    expect(searchWords("My_Secret")).toEqual(["my", "secret"]);
  });
});

describe("wordRows (what the index stores per secret)", () => {
  it("keeps each tag's key and value as their own attributes, numbered by the tag's position", () => {
    const rows = wordRows({
      name: "app/db",
      description: "Primary DB",
      tags: [
        { Key: "team", Value: "payments" },
        { Key: "env", Value: "" },
      ],
    });
    expect(rows).toEqual([
      ["name", 0, "app"],
      ["name", 0, "db"],
      ["description", 0, "primary"],
      ["description", 0, "db"],
      ["tag-key", 0, "team"],
      ["tag-value", 0, "payments"],
      ["tag-key", 1, "env"],
    ]);
  });

  it("a secret without a description has no description words", () => {
    expect(wordRows({ name: "x", description: null, tags: [] })).toEqual([["name", 0, "x"]]);
  });
});

describe("prefixEnd", () => {
  it("is the first string after every string with the prefix, in binary order", () => {
    expect(prefixEnd("abc")).toBe("abd");
    expect(prefixEnd("app/")).toBe("app0");
    expect(prefixEnd("a~")).toBe("a\u007f");
    for (const s of ["abc", "abc/x", "abc\uffff", "abcé"]) {
      expect(s >= "abc" && s < prefixEnd("abc")).toBe(true);
    }
    expect("abd" < prefixEnd("abc")).toBe(false);
  });
});

describe("literal", () => {
  it("quotes a string for SQL, doubling single quotes", () => {
    expect(literal("it's")).toBe("'it''s'");
    expect(literal("'; DROP TABLE secrets; --")).toBe("'''; DROP TABLE secrets; --'");
  });

  it("refuses a NUL character", () => {
    expect(() => literal("a\0b")).toThrow();
  });
});

describe("filtersSql", () => {
  it("is true (1) without filters", () => {
    expect(filtersSql([])).toBe("1");
  });

  it("ANDs filters and ORs the values of one filter, negating values that start with !", () => {
    const sql = filtersSql([
      { key: "name", values: ["a", "!b"] },
      { key: "tag-key", values: ["env"] },
    ]);
    expect(sql).toBe(
      "((substr(+s.name, 1, 1) = 'a') OR NOT (substr(+s.name, 1, 1) = 'b')) AND ((EXISTS (SELECT 1 FROM secret_tags t WHERE t.arn = s.arn AND substr(t.key, 1, 3) = 'env')))",
    );
  });

  it("compares prefixes as text, without a LIKE or GLOB pattern (D1 refuses those over 50 bytes), whatever their length", () => {
    expect(filtersSql([{ key: "name", values: ["a*b?[c'"] }])).toBe("((substr(+s.name, 1, 7) = 'a*b?[c'''))");
    expect(filtersSql([{ key: "tag-value", values: ["v".repeat(512)] }])).toContain(`substr(t.value, 1, 512) = '${"v".repeat(512)}'`);
    expect(filtersSql([{ key: "primary-region", values: [""] }])).toBe("((s.primary_region IS NOT NULL AND substr(+s.primary_region, 1, 0) = ''))");
  });

  it("a description value without words matches nothing", () => {
    expect(filtersSql([{ key: "description", values: ["+"] }])).toBe("((0))");
  });

  it("an all value requires its words within one attribute (same field and position)", () => {
    const sql = filtersSql([{ key: "all", values: ["d two"] }]);
    expect(sql).toContain("w1.field = w0.field AND w1.attr = w0.attr");
    expect(sql).toContain("substr(w0.word, 1, 3) = 'two'");
    expect(sql).toContain("substr(w1.word, 1, 1) = 'd'");
  });

  it("leaves out the filter an index range already enforces", () => {
    const byName = { key: "name" as const, values: ["app/"] };
    expect(filtersSql([byName], byName)).toBe("1");
  });
});

describe("candidates", () => {
  it("gives, per value of a filter without negations, a covering-index query for the ARNs that can match it", () => {
    expect(candidates({ key: "tag-value", values: ["prod", "dev"] })).toEqual([
      ["SELECT arn FROM secret_tags WHERE account_id = ?1 AND region = ?2 AND value >= 'prod' AND value < 'proe'"],
      ["SELECT arn FROM secret_tags WHERE account_id = ?1 AND region = ?2 AND value >= 'dev' AND value < 'dew'"],
    ]);
  });

  it("offers a word value's longest words (at most three) as alternatives, longest first", () => {
    expect(candidates({ key: "description", values: ["a primary database of ours"] })).toEqual([
      [
        "SELECT arn FROM secret_words WHERE account_id = ?1 AND region = ?2 AND field IN ('description') AND word >= 'database' AND word < 'databasf'",
        "SELECT arn FROM secret_words WHERE account_id = ?1 AND region = ?2 AND field IN ('description') AND word >= 'primary' AND word < 'primarz'",
        "SELECT arn FROM secret_words WHERE account_id = ?1 AND region = ?2 AND field IN ('description') AND word >= 'ours' AND word < 'ourt'",
      ],
    ]);
    expect(candidates({ key: "all", values: ["+"] })).toEqual([["SELECT arn FROM secrets WHERE account_id = ?1 AND region = ?2 AND 0"]]);
  });

  it("an empty prefix is every non-NULL value", () => {
    expect(candidates({ key: "owning-service", values: [""] })).toEqual([["SELECT arn FROM secrets WHERE account_id = ?1 AND region = ?2 AND owning_service >= ''"]]);
  });

  it("cannot narrow a filter with a negated value", () => {
    expect(candidates({ key: "name", values: ["a", "!b"] })).toBeUndefined();
  });
});

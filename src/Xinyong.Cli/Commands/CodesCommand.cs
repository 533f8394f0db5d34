using System.CommandLine;
using System.Text.Json;
using System.Text.Encodings.Web;
using Xinyong.Identifiers;

namespace Xinyong.Cli.Commands;

/// <summary>`xinyong codes check VALUE...`: one line per value (kind, valid or the reasons).</summary>
internal static class CodesCommand
{
    public static Command Create()
    {
        var values = new Argument<string[]>("values") { Description = "Codes to check: credit codes, organisation codes, registration numbers, ID numbers", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of text" };
        var english = new Option<bool>("--en") { Description = "Messages in English" };
        var check = new Command("check", "Validate identifiers and explain what is wrong") { values, json, english };
        check.SetAction(parse =>
        {
            var results = parse.GetValue(values)!.Select(Identifier.Check).ToList();
            var en = parse.GetValue(english);
            if (parse.GetValue(json))
            {
                var payload = results.Select(r => new
                {
                    input = r.Input,
                    kind = KindCode(r.Kind),
                    normalized = r.Normalized,
                    valid = r.IsValid,
                    issues = r.Issues.Select(i => new { severity = i.Severity == IssueSeverity.Error ? "error" : "warning", code = i.Code, position = i.Position, zh = i.MessageZh, en = i.MessageEn }),
                });
                Console.WriteLine(JsonSerializer.Serialize(payload, new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
            }
            else
            {
                foreach (var r in results)
                {
                    var head = $"{r.Input}\t{KindName(r.Kind, en)}\t{(r.IsValid ? (en ? "valid" : "有效") : (en ? "INVALID" : "无效"))}";
                    var reasons = r.Issues.Select(i => (i.Severity == IssueSeverity.Warning ? (en ? "warning: " : "提示：") : "") + (en ? i.MessageEn : i.MessageZh));
                    Console.WriteLine(string.Join("\t", new[] { head }.Concat(reasons)));
                }
            }
            return results.All(r => r.IsValid) ? 0 : 1;
        });
        return new Command("codes", "Identifier tools (GB 32100, GB 11714, GS 15, GB 11643)") { check };
    }

    private static string KindCode(IdentifierKind kind) => kind switch
    {
        IdentifierKind.CreditCode => "uscc",
        IdentifierKind.OrganizationCode => "organization_code",
        IdentifierKind.RegistrationNumber => "registration_number",
        IdentifierKind.ResidentId => "resident_id",
        _ => "unknown",
    };

    private static string KindName(IdentifierKind kind, bool en) => (kind, en) switch
    {
        (IdentifierKind.CreditCode, false) => "统一社会信用代码",
        (IdentifierKind.OrganizationCode, false) => "组织机构代码",
        (IdentifierKind.RegistrationNumber, false) => "工商注册号",
        (IdentifierKind.ResidentId, false) => "居民身份证号码",
        (_, false) => "无法识别",
        (IdentifierKind.CreditCode, true) => "credit code",
        (IdentifierKind.OrganizationCode, true) => "organisation code",
        (IdentifierKind.RegistrationNumber, true) => "registration number",
        (IdentifierKind.ResidentId, true) => "resident ID",
        _ => "unknown",
    };
}

namespace Xinyong.Core.Search;

/// <summary>The legal-form families of 组织形式; forms of one family are near-synonyms (有限公司 / 有限责任公司).</summary>
public enum FormFamily : byte
{
    None = 0,
    Limited,
    JointStock,
    Company,
    Partnership,
    SoleProprietorship,
    Cooperative,
}

/// <summary>
/// Company-form suffixes (组织形式) that end a name: stripped for matching and remembered by id, so that
/// "恒达机械有限公司" and "恒达机械有限责任公司" share their core name and differ only in form.
/// </summary>
public static class CompanyForms
{
    // Longest first where one ends with another. Id = index + 1; 0 = no form.
    private static readonly (string Text, FormFamily Family)[] Forms =
    [
        ("股份有限公司", FormFamily.JointStock),
        ("有限责任公司", FormFamily.Limited),
        ("有限公司", FormFamily.Limited),
        ("股份公司", FormFamily.JointStock),
        ("总公司", FormFamily.Company),
        ("公司", FormFamily.Company),
        ("特殊普通合伙", FormFamily.Partnership),
        ("普通合伙", FormFamily.Partnership),
        ("有限合伙", FormFamily.Partnership),
        ("合伙企业", FormFamily.Partnership),
        ("个人独资企业", FormFamily.SoleProprietorship),
        ("独资企业", FormFamily.SoleProprietorship),
        ("农民专业合作社", FormFamily.Cooperative),
        ("专业合作社", FormFamily.Cooperative),
        ("股份经济合作社", FormFamily.Cooperative),
        ("经济合作社", FormFamily.Cooperative),
        ("合作社", FormFamily.Cooperative),
    ];

    /// <summary>Branch words after a parent's form: 恒达有限公司苏州分公司. The parent's form is taken out, the branch stays in the core.</summary>
    private static readonly string[] BranchWords = ["分公司", "分行", "支行", "分店", "分厂", "营业部", "办事处", "分所", "分部"];

    /// <summary>The longest branch place between a parent's form and the branch word (苏州, 昆山市玉山镇).</summary>
    private const int MaxBranchDesignation = 8;

    /// <summary>The text of a form id; empty for 0.</summary>
    public static string Text(byte id) => id == 0 || id > Forms.Length ? "" : Forms[id - 1].Text;

    public static FormFamily Family(byte id) => id == 0 || id > Forms.Length ? FormFamily.None : Forms[id - 1].Family;

    /// <summary>The form that ends <paramref name="text"/>, as (id, length), or (0, 0).</summary>
    public static (byte Id, int Length) MatchSuffix(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < Forms.Length; i++)
        {
            var form = Forms[i].Text;
            if (!text.EndsWith(form, StringComparison.Ordinal)) continue;
            // "有限公司" alone is a form, not 有限 + 公司; "恒达分公司" is a branch, not 恒达分 + 公司.
            if (text.Length == form.Length || (form == "公司" && text[^3] == '分')) return (0, 0);
            return ((byte)(i + 1), form.Length);
        }
        return (0, 0);
    }

    /// <summary>
    /// For a branch name ("恒达机械有限公司苏州分公司") the parent's form inside it, as (id, start, length); else (0, -1, 0).
    /// </summary>
    public static (byte Id, int Start, int Length) MatchBranchParentForm(ReadOnlySpan<char> text)
    {
        foreach (var word in BranchWords)
        {
            if (!text.EndsWith(word, StringComparison.Ordinal)) continue;
            var head = text[..^word.Length];
            for (var designation = 0; designation <= MaxBranchDesignation && designation < head.Length; designation++)
            {
                var (id, length) = MatchSuffix(head[..^designation]);
                if (id != 0) return (id, head.Length - designation - length, length);
            }
            return (0, -1, 0);
        }
        return (0, -1, 0);
    }
}

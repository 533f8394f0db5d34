namespace Xinyong.Web.Pages;

/// <summary>Short names of rejection reasons for charts and tables.</summary>
public static class ReasonText
{
    public static string Of(HttpContext http, string code) => code switch
    {
        "required" => http.T("必填项为空", "Required field empty"),
        "bad_date" => http.T("日期无效", "Invalid date"),
        "future_date" => http.T("日期晚于今天", "Date in the future"),
        "bad_code" => http.T("代码无效", "Invalid code"),
        "bad_enum" => http.T("取值不在允许范围", "Value not allowed"),
        "wrong_unit" => http.T("金额单位错误", "Amount in wrong unit"),
        "bad_number" => http.T("数字无效", "Invalid number"),
        "too_long" => http.T("内容过长", "Too long"),
        "date_order" => http.T("日期先后矛盾", "Dates out of order"),
        "subject_code_missing" => http.T("缺少主体代码", "No subject code"),
        "unknown_subject" => http.T("主体无法识别", "Unknown subject"),
        "ambiguous_subject" => http.T("主体不唯一", "Ambiguous subject"),
        "code_conflict" => http.T("代码相互矛盾", "Conflicting codes"),
        "duplicate_in_file" => http.T("文件内重复", "Duplicate in file"),
        "conflict_in_file" => http.T("文件内冲突", "Conflict in file"),
        _ => code,
    };
}

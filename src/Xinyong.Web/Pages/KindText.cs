namespace Xinyong.Web.Pages;

public static class KindText
{
    public static string Of(HttpContext http, string kind) => kind switch
    {
        "legal_person" => http.T("法人及非法人组织", "Legal person"),
        "individual_business" => http.T("个体工商户", "Individual business"),
        "natural_person" => http.T("自然人", "Natural person"),
        _ => kind,
    };
}

public static class SchemeText
{
    public static string Of(HttpContext http, string scheme) => scheme switch
    {
        "org" => http.T("组织机构代码", "Organisation code"),
        "reg" => http.T("工商注册号", "Registration number"),
        "tax" => http.T("税务登记号", "Tax registration"),
        "inst" => http.T("事业单位证书号", "Institution certificate"),
        "soc" => http.T("社会组织登记证号", "Social organisation certificate"),
        "idcard" => http.T("身份证号码", "ID number"),
        _ => scheme,
    };
}

public static class MatchText
{
    public static string Of(HttpContext http, string reason) => reason switch
    {
        "exact" => http.T("名称完全一致", "Exact name"),
        "former_name" => http.T("曾用名一致", "Former name"),
        "prefix" => http.T("名称开头一致", "Name starts with query"),
        "contains" => http.T("名称包含查询词", "Name contains query"),
        _ => reason,
    };
}

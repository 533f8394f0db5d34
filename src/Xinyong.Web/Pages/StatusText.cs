namespace Xinyong.Web.Pages;

public static class StatusText
{
    public static string Of(HttpContext http, string status) => status switch
    {
        "received" => http.T("排队中", "Queued"),
        "processing" => http.T("处理中", "Processing"),
        "completed" => http.T("已完成", "Completed"),
        "failed" => http.T("无法处理", "Failed"),
        _ => status,
    };
}

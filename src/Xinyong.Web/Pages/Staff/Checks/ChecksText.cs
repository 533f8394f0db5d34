namespace Xinyong.Web.Pages.Staff.Checks;

/// <summary>Labels of check run states in the staff workbench.</summary>
public static class ChecksText
{
    public static string Status(HttpContext http, string status) => status switch
    {
        "queued" => http.T("排队中", "queued"),
        "running" => http.T("核查中", "running"),
        "done" => http.T("已完成", "done"),
        "failed" => http.T("失败", "failed"),
        _ => status,
    };
}

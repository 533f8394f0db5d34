namespace Xinyong.Identifiers;

/// <summary>
/// Registering department (position 1) and organization category (position 2) codes of GB 32100-2015 and its
/// later additions. The table grows over time, so an unknown pair is a warning, never an error.
/// </summary>
public static class CreditCodeCategories
{
    /// <summary>Chinese name of a registering department code, or null when unknown.</summary>
    public static string? DepartmentName(char department) => department switch
    {
        '1' => "机构编制",
        '2' => "外交",
        '3' => "司法行政",
        '4' => "文化",
        '5' => "民政",
        '6' => "旅游",
        '7' => "宗教",
        '8' => "工会",
        '9' => "市场监管（工商）",
        'A' => "中央军委改革和编制办公室",
        'N' => "农业",
        'Y' => "其他",
        _ => null,
    };

    /// <summary>Chinese name of an organization category within its department, or null when unknown.</summary>
    public static string? CategoryName(char department, char category) => (department, category) switch
    {
        ('1', '1') => "机关",
        ('1', '2') => "事业单位",
        ('1', '3') => "中央编办直接管理机构编制的群众团体",
        ('1', '9') => "其他",
        ('2', '1') => "外国常驻新闻机构",
        ('2', '9') => "其他",
        ('3', '1') => "律师执业机构",
        ('3', '2') => "公证处",
        ('3', '3') => "基层法律服务所",
        ('3', '4') => "司法鉴定机构",
        ('3', '5') => "仲裁委员会",
        ('3', '9') => "其他",
        ('4', '1') => "外国在华文化中心",
        ('4', '9') => "其他",
        ('5', '1') => "社会团体",
        ('5', '2') => "民办非企业单位",
        ('5', '3') => "基金会",
        ('5', '9') => "其他",
        ('6', '1') => "外国旅游部门常驻代表机构",
        ('6', '2') => "港澳台地区旅游部门常驻内地（大陆）代表机构",
        ('6', '9') => "其他",
        ('7', '1') => "宗教活动场所",
        ('7', '2') => "宗教院校",
        ('7', '9') => "其他",
        ('8', '1') => "基层工会",
        ('8', '9') => "其他",
        ('9', '1') => "企业",
        ('9', '2') => "个体工商户",
        ('9', '3') => "农民专业合作社",
        ('A', '1') => "军队事业单位",
        ('A', '9') => "其他",
        ('N', '1') => "组级集体经济组织",
        ('N', '2') => "村级集体经济组织",
        ('N', '3') => "乡镇级集体经济组织",
        ('N', '9') => "其他",
        ('Y', '1') => "其他",
        _ => null,
    };
}

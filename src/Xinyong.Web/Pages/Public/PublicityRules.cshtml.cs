using Microsoft.AspNetCore.Mvc.RazorPages;
using Xinyong.Core.Publication;

namespace Xinyong.Web.Pages.Public;

/// <summary>Explains the publicity rules in force, rendered from the same configuration the engine applies.</summary>
public sealed class PublicityRulesModel(PublicationRules rules) : PageModel
{
    public PublicationRules Rules => rules;

    public void OnGet()
    {
    }
}

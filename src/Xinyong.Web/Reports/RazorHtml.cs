using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.Razor;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Xinyong.Web.Reports;

/// <summary>Renders a Razor view to a string outside a request (the PDF is made from the same template as the web page).</summary>
public sealed class RazorHtml(IRazorViewEngine engine, ITempDataProvider tempData, IServiceScopeFactory scopes)
{
    public async Task<string> RenderAsync<TModel>(string viewPath, TModel model)
    {
        await using var scope = scopes.CreateAsyncScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        var action = new ActionContext(http, new Microsoft.AspNetCore.Routing.RouteData(), new ActionDescriptor());
        var found = engine.GetView(executingFilePath: null, viewPath, isMainPage: true);
        var view = found.View ?? throw new InvalidOperationException($"View {viewPath} not found: {string.Join("; ", found.SearchedLocations)}");
        await using var writer = new StringWriter();
        var viewData = new ViewDataDictionary<TModel>(new EmptyModelMetadataProvider(), new ModelStateDictionary()) { Model = model };
        var context = new ViewContext(action, view, viewData, new TempDataDictionary(http, tempData), writer, new HtmlHelperOptions());
        await view.RenderAsync(context);
        return writer.ToString();
    }
}

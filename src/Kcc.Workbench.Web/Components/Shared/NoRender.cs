using Microsoft.AspNetCore.Components;

namespace Kcc.Workbench.Web.Components;

/// <summary>
/// The receiver of an event callback that must not re-render the component that declares it. Blazor renders a
/// callback's receiver after every event; for text the browser already shows (deferred fields) that render is waste.
/// Whatever does need to change on screen calls StateHasChanged itself.
/// </summary>
public sealed class NoRender : IHandleEvent
{
    private static readonly NoRender Instance = new();

    public static EventCallback<T> Callback<T>(Func<T, Task> handler) => new(Instance, handler);

    Task IHandleEvent.HandleEventAsync(EventCallbackWorkItem item, object? arg) => item.InvokeAsync(arg);
}

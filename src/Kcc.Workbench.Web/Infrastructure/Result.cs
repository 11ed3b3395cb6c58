namespace Kcc.Workbench.Web.Infrastructure;

/// <summary>
/// Outcome of a command: success, or Dutch messages per field that the form shows next to the field.
/// Handlers return these instead of throwing; an exception is a bug.
/// </summary>
public abstract record ResultBase
{
    public IReadOnlyDictionary<string, string[]> Errors { get; init; } = Empty;

    public bool Succeeded => Errors.Count == 0;

    public string? ErrorFor(string field) => Errors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;

    public string AllErrors => string.Join(" ", Errors.Values.SelectMany(m => m));

    internal static readonly IReadOnlyDictionary<string, string[]> Empty = new Dictionary<string, string[]>();
}

public sealed record Result : ResultBase
{
    public static Result Ok() => new();

    public static Result Fail(string field, string message) => new() { Errors = new Dictionary<string, string[]> { [field] = [message] } };

    public static Result Fail(IReadOnlyDictionary<string, string[]> errors) => new() { Errors = errors };
}

public sealed record Result<T> : ResultBase
{
    public T? Value { get; init; }

    public static Result<T> Ok(T value) => new() { Value = value };

    public static Result<T> Fail(string field, string message) => new() { Errors = new Dictionary<string, string[]> { [field] = [message] } };

    public static Result<T> Fail(IReadOnlyDictionary<string, string[]> errors) => new() { Errors = errors };
}

internal static class ResultFactory
{
    /// <summary>Builds a failed Result or Result&lt;T&gt; for the validation behaviour, which only knows TResponse.</summary>
    public static bool TryCreateFailure<TResponse>(IReadOnlyDictionary<string, string[]> errors, out TResponse response)
    {
        var type = typeof(TResponse);
        object? failure = null;
        if (type == typeof(Result))
        {
            failure = Result.Fail(errors);
        }
        else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Result<>))
        {
            failure = Activator.CreateInstance(type);
            failure = ((ResultBase)failure!) with { Errors = errors };
        }

        response = (TResponse)failure!;
        return failure is not null;
    }
}

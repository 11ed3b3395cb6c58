using FluentValidation;
using MediatR;

namespace Kcc.Workbench.Web.Infrastructure;

/// <summary>
/// Runs the request's FluentValidation validators before the handler. Failures come back as a failed Result
/// with Dutch messages per field, so the form can show them next to the field and keep what was typed.
/// </summary>
internal sealed class ValidationBehavior<TRequest, TResponse>(IEnumerable<IValidator<TRequest>> validators) : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var failures = new List<FluentValidation.Results.ValidationFailure>();
        foreach (var validator in validators)
        {
            var result = await validator.ValidateAsync(request, cancellationToken);
            failures.AddRange(result.Errors);
        }

        if (failures.Count == 0)
        {
            return await next();
        }

        var errors = failures
            .GroupBy(f => f.PropertyName)
            .ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).Distinct().ToArray());
        if (ResultFactory.TryCreateFailure<TResponse>(errors, out var failed))
        {
            return failed;
        }

        throw new ValidationException(failures);
    }
}

__all__ = ['ttypes', 'constants', 'Builtins']

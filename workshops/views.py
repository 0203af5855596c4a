def registration_cancel(request, token):
    raise NotImplementedError

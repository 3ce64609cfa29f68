"""The HTTP statuses the archiver treats apart, named once: an answer that redirects, an answer that says "not modified"."""

# An answer that sends the request elsewhere (its Location header): moved, found, see other, temporary, permanent.
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
# The bodiless answer to a conditional request (If-None-Match, If-Modified-Since): the stored copy still stands.
NOT_MODIFIED = 304

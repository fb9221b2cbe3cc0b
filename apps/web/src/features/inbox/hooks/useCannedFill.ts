import { useMutation } from '@tanstack/react-query';
import { renderCannedResponse } from '../../canned-responses/api/cannedApi';

/** Fills a canned response's variables for the conversation, then hands its text over. */
export function useCannedFill(conversationId: string, onText: (text: string) => void) {
  return useMutation({
    mutationFn: (cannedId: string) => renderCannedResponse(cannedId, conversationId),
    onSuccess: (rendered) => onText(rendered.text),
  });
}
